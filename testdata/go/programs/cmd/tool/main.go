// Command tool is the one real binary.
package main

func main() {}
