// Package codec encodes values before they are stored.
package codec

// Encode copies b; callers always get a fresh slice.
func Encode(b []byte) []byte {
	return append([]byte(nil), b...)
}
