// Package lib is what the example programs show.
package lib

// Greet says hello.
func Greet(name string) string { return "hello " + name }
