package ast

// Task is a second package named ast with a type of the same name.
type Task struct {
	Color bool
}
