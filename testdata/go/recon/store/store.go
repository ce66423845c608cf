package store

import (
	"errors"

	"example.com/recon/internal/codec"
)

// ErrNotFound is returned when a key is absent.
var ErrNotFound = errors.New("not found")

// Store is the driver contract.
// INV-1: a key that Put accepted is returned by Get until the next Put.
type Store interface {
	Get(key string) ([]byte, error)
	Put(key string, value []byte) error
}

// Factory opens a driver at path.
type Factory func(path string) (Store, error)

// drivers maps a driver name to its factory; Register must be called from init.
var drivers = map[string]Factory{}

// Register makes a driver available by name.
func Register(name string, f Factory) {
	if _, dup := drivers[name]; dup {
		panic("store: Register called twice for driver " + name)
	}
	drivers[name] = f
}

// DB is an open store with its options.
type DB struct {
	Path    string
	ReadOnly bool
	backend Store
}

// Open opens the store at path with the named driver.
func Open(driver, path string) (*DB, error) {
	f, ok := drivers[driver]
	if !ok {
		return nil, ErrNotFound
	}
	s, err := f(path)
	if err != nil {
		return nil, err
	}
	return &DB{Path: path, backend: s}, nil
}

// Get reads a value; the caller must never modify the returned slice.
func (db *DB) Get(key string) ([]byte, error) {
	return db.backend.Get(key)
}

// Put writes a value.
func (db *DB) Put(key string, value []byte) error {
	if db.ReadOnly {
		panic("store: Put on a read-only DB")
	}
	return db.backend.Put(key, codec.Encode(value))
}
