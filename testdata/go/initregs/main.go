// Package main registers its flags and config bindings at init time.
package main

import (
	"flag"

	"example.com/initregs/conf"
)

var name string

func init() {
	flag.StringVar(&name, "name", "x", "who")
	conf.Bind("name", "name")
	conf.Bind("size", "size")
	conf.Bind("mode", "mode")
	conf.Register("plain")
}

func main() { flag.Parse() }
