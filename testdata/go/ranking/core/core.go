// Package core holds the contracts every package uses.
package core

// Store is used from every other package.
type Store interface {
	Get(key string) (string, error)
	Put(key, value string) error
}

// Orphan is declared but used nowhere.
type Orphan struct {
	Unused int
}
