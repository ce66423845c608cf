package store

import "testing"

type fixture struct{ n int }

func TestSum(t *testing.T) {
	if Sum(1, 2) != 3 {
		t.Fatal("sum")
	}
}
