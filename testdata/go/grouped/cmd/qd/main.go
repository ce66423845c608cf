// Command qd runs a queue.
package main

import (
	"flag"

	"example.com/grouped/policy"
	"example.com/grouped/queue"
)

func main() {
	capacity := flag.Int("capacity", 8, "queue capacity")
	name := flag.String("policy", "fifo", "which request runs next")
	flag.Parse()
	q, err := queue.New(*capacity)
	if err != nil {
		panic("qd: " + err.Error())
	}
	p, err := policy.New(*name)
	if err != nil {
		panic(err)
	}
	var c queue.Closer = q
	defer c.Close()
	q.Push("hello")
	_ = p.Next([]string{"hello"})
}
