// Package policy picks which queued request runs next.
package policy

import "fmt"

// Policy orders waiting requests.
type Policy interface {
	// Next returns the index of the request to run; it must be in range.
	Next(waiting []string) int
}

// FIFO runs the oldest request first.
type FIFO struct{}

// Next returns 0.
func (FIFO) Next(waiting []string) int { return 0 }

// LIFO runs the newest request first.
type LIFO struct{}

// Next returns the last index.
func (LIFO) Next(waiting []string) int { return len(waiting) - 1 }

// Valid lists the names New accepts.
var Valid = map[string]bool{
	"fifo": true,
	"lifo": true,
}

// New returns the policy called name.
func New(name string) (Policy, error) {
	switch name {
	case "fifo", "":
		return FIFO{}, nil
	case "lifo":
		return LIFO{}, nil
	}
	return nil, fmt.Errorf("policy: unknown policy %q", name)
}
