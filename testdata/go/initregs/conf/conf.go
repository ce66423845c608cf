// Package conf binds configuration keys.
package conf

// Bind ties a key to a flag.
func Bind(key, flag string) {}

// Register adds a format.
func Register(format string) {}
