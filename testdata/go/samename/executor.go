package same

import "example.com/same/v2/taskfile/ast"

// Executor runs tasks.
type Executor struct{}

// Option configures an Executor.
type Option interface {
	Apply(e *Executor)
}

// Get returns the task to run.
func (e *Executor) Get(name string) (*ast.Task, error) {
	return nil, nil
}

// Options applies each option.
func (e *Executor) Options(opts ...Option) {
	for _, o := range opts {
		o.Apply(e)
	}
	opts[0].Apply(e)
}
