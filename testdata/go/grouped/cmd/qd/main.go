// Command qd runs a queue.
package main

import (
	"flag"

	"example.com/grouped/queue"
)

func main() {
	capacity := flag.Int("capacity", 8, "queue capacity")
	flag.Parse()
	q, err := queue.New(*capacity)
	if err != nil {
		panic("qd: " + err.Error())
	}
	var c queue.Closer = q
	defer c.Close()
	q.Push("hello")
}
