// Package queue holds requests until a worker takes them.
package queue

import "fmt"

type (
	// Closer releases what a queue holds.
	Closer interface {
		// Close drops every waiting request.
		Close()
	}

	// Queue is a bounded FIFO of requests.
	Queue struct {
		items    []string // waiting requests, oldest first
		capacity int      // at most this many (INV-1: len(items) <= capacity)
		dropped  int      // requests refused because the queue was full
		closed   bool     // set once by Close
	}
)

// New returns an empty queue of the given capacity.
func New(capacity int) (*Queue, error) {
	if capacity <= 0 {
		return nil, fmt.Errorf("queue: capacity must be positive, got %d", capacity)
	}
	return &Queue{capacity: capacity}, nil
}

// Push appends a request; it reports false when the queue is full. Callers
// must not push after Close.
func (q *Queue) Push(r string) bool {
	if len(q.items) == q.capacity {
		q.dropped++
		return false
	}
	q.items = append(q.items, r)
	return true
}

// Close drops every waiting request.
func (q *Queue) Close() {
	q.items = nil
	q.closed = true
}
