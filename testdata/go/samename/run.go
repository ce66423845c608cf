package same

func (e *Executor) run() int {
	t, err := e.Get("build")
	if err != nil {
		return 0
	}
	return len(t.Deps)
}
