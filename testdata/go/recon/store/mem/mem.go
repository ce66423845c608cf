// Package mem is an in-memory store driver.
package mem

import "example.com/recon/store"

func init() {
	store.Register("mem", New)
}

// Mem keeps values in a map.
type Mem struct {
	m map[string][]byte
}

// New returns an empty Mem.
func New(path string) (store.Store, error) {
	return &Mem{m: map[string][]byte{}}, nil
}

// Get returns the value of key.
func (m *Mem) Get(key string) ([]byte, error) {
	v, ok := m.m[key]
	if !ok {
		return nil, store.ErrNotFound
	}
	return v, nil
}

// Put stores value under key.
func (m *Mem) Put(key string, value []byte) error {
	m.m[key] = value
	return nil
}
