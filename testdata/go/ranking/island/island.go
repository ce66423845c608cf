// Package island is unrelated to everything.
package island

// Palm is an unrelated type.
type Palm struct {
	Height int
}

// Grow is an unrelated function.
func Grow(p Palm) Palm {
	p.Height++
	return p
}
