package sim

// Queue holds waiting requests.
type Queue struct {
	items []*Request
}

// Push adds a request.
func (q *Queue) Push(r *Request) {
	r.Tokens = clamp(r.Tokens)
	q.items = append(q.items, r)
}

func (q *Queue) size() int { return clamp(len(q.items)) }
