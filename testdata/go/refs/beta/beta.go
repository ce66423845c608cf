// Package beta declares another Config and a Cache interface.
package beta

// Config shares its name with alpha.Config.
type Config struct {
	Level int
}

// Cache shares its method name Get with alpha.Store.
type Cache interface {
	Get(key string) string
}
