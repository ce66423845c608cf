package store

import (
	"context"
	"io"

	"example.com/shop/store/internal/codec"
)

// Store is the storage contract.
// INV-1: Put must be idempotent.
type Store interface {
	io.Closer
	// Get returns an order.
	Get(ctx context.Context, id string) (*Order, error)
	Put(ctx context.Context, o *Order) error
}

// Number is a type-set constraint.
type Number interface {
	~int | ~int64 |
		~float64
}

// Order is one order.
type Order struct {
	ID, Customer string `json:"id"`
	*codec.Header
	Lines []Line
	total int
	_     [4]byte
}

type (
	// Line is an order line.
	Line struct{ SKU string; Qty int }
	// ID is an alias.
	ID = string
	Pair[K comparable, V any] struct {
		Key K
		Val V
	}
	handler func(ctx context.Context) error
)

const (
	// MaxLines bounds an order.
	MaxLines, minLines = 100, 1
	_                  = 3
)

var ErrNotFound = codec.Err("not found")

var (
	registry = map[string]Store{}
	a, B     int
)

// memStore is the in-memory Store.
type memStore struct{ orders map[string]*Order }

// NewMemStore returns an empty Store.
func NewMemStore() Store { return &memStore{} }

func (m *memStore) Get(ctx context.Context, id string) (*Order, error) {
	var local = 1
	type inner struct{}
	_ = local
	return m.orders[id], nil
}

func (m *memStore) Put(ctx context.Context, o *Order) error { return nil }

func (m *memStore) Close() error { return nil }

func (p *Pair[K, V]) Swap() Pair[K, V] {
	return *p
}

// Sum adds numbers.
func Sum[T Number](xs ...T) (total T) {
	for _, x := range xs {
		total += x
	}
	return
}

func init() {
	registry["mem"] = NewMemStore()
}

func init() {}
