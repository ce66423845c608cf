// Package model holds the records and the sink they are written to.
package model

// Record is what every other package passes around.
type Record struct {
	Key   string
	Value string
}
