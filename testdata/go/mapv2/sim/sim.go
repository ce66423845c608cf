// Package sim is the simulation core.
package sim

// Request is one simulated request.
type Request struct {
	ID     string
	Tokens int
}

// NewRequest builds a request with normalised tokens.
func NewRequest(id string, tokens int) *Request {
	return &Request{ID: id, Tokens: clamp(tokens)}
}

// clamp is private, and called from every file of the package.
func clamp(n int) int {
	if n < 0 {
		return 0
	}
	return n
}
