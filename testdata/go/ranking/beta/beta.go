// Package beta uses the core store.
package beta

import "example.com/rank/core"

// Service wraps a store.
type Service struct {
	store core.Store
}

// Load reads one key.
func Load(s core.Store, key string) (string, error) {
	return s.Get(key)
}

// Helper is what the leaf package calls.
func Helper() int {
	return 42
}
