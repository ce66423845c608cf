package store

import "testing"

func TestZeroDB(t *testing.T) {
	db := DB{}
	if db.Path != "" {
		t.Fatal("zero DB has a path")
	}
}
