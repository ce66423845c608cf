package main

import "example.com/programs"

func main() { println(lib.Greet("gamma")) }
