package main

import (
	"flag"

	"example.com/shop/store"
)

var addr = flag.String("addr", ":8080", "listen address")

func main() {
	flag.Parse()
	s := store.NewMemStore()
	defer s.Close()
}
