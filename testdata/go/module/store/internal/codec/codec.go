// Package codec encodes headers.
package codec

// Header precedes every record.
type Header struct {
	Version uint8
}

// Err is an error string.
type Err string

func (e Err) Error() string { return string(e) }
