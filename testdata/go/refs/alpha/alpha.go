// Package alpha declares a Config, a Store interface and a DB.
package alpha

// Config shares its name with beta.Config.
type Config struct {
	Name string
}

// NewConfig is a factory.
func NewConfig() *Config {
	return &Config{Name: "default"}
}

// Store shares its method name Get with beta.Cache.
type Store interface {
	Get(key string) string
}

// DB implements Store.
type DB struct {
	cfg *Config
}

// Open returns a DB.
func Open() *DB {
	return &DB{}
}

// Get reads a key.
func (d *DB) Get(key string) string {
	return d.cfg.Name + key
}

// NewConfig is a method with the name of the package-level factory: the
// symbol `alpha.NewConfig` still names the function.
func (d *DB) NewConfig() *Config {
	return d.cfg
}
