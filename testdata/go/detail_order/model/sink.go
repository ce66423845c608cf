package model

// Sink receives records; no other package names it.
type Sink interface {
	Write(r Record) error
}

// FileSink writes records to a file.
type FileSink struct {
	Path string
}

// Write appends one record.
func (f *FileSink) Write(r Record) error {
	return nil
}
