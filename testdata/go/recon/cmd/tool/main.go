// Command tool reads one key from a store.
package main

import (
	"flag"
	"fmt"

	"example.com/recon/store"
	_ "example.com/recon/store/mem"
)

var verbose = flag.Bool("v", false, "print progress")

func main() {
	path := flag.String("db", "data.db", "path of the store")
	flag.Parse()
	var out string
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	fs.StringVar(&out, "out", "", "file to export to")
	db, err := store.Open("mem", *path)
	if err != nil {
		panic(err)
	}
	v, _ := db.Get("k")
	if *verbose {
		fmt.Println(string(v))
	}
}

// save writes one key through the driver contract.
func save(s store.Store) error {
	return s.Put("k", nil)
}
var configPath = flag.String("config", "cmd/tool/defaults.yaml", "options file")
