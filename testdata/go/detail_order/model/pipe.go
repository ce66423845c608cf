package model

// Flush writes every record to the sink.
func Flush(s Sink, rs []Record) error {
	for _, r := range rs {
		if err := s.Write(r); err != nil {
			return err
		}
	}
	return nil
}
