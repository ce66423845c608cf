// Package app uses alpha under the alias al and beta under its own name.
package app

import (
	al "example.com/refs/alpha"
	"example.com/refs/beta"
)

// Run calls al.NewConfig() and s.Get("k") in this comment: neither counts.
func Run(s al.Store, c beta.Cache, m map[string]al.Store) string {
	cfg := al.NewConfig()
	_ = "al.NewConfig() and beta.Config{} in a string"
	a := al.Config{Name: cfg.Name}
	b := beta.Config{}
	db := al.Open()
	return s.Get("k") + c.Get("k") + db.Get("k") + m["x"].Get("k") + a.Name + string(rune(b.Level))
}

type holder struct {
	store al.Store
}

func (h *holder) lookup() string {
	return h.store.Get("z")
}

// NewConfig is app's own factory, same name as alpha's.
func NewConfig() beta.Config {
	return beta.Config{Level: 1}
}

func local() beta.Config {
	return NewConfig()
}
