// Package leaf is used by nobody and calls beta.
package leaf

import (
	"example.com/rank/beta"
	"example.com/rank/core"
)

// Leaf is the leaf's own type.
type Leaf struct {
	Store core.Store
}

// Run calls into beta.
func Run() int {
	return beta.Helper()
}
