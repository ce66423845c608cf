package ast

// Task is a task of a Taskfile.
type Task struct {
	Deps []string
}
