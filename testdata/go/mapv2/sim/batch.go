package sim

// Batch is a formed batch.
type Batch struct {
	Requests []*Request
}

func batchTokens(b *Batch) int {
	n := 0
	for _, r := range b.Requests {
		n += clamp(r.Tokens)
	}
	return clamp(n)
}
