package workload

import "example.com/mapv2/sim"

// Generate makes n requests.
func Generate(n int) []*sim.Request {
	out := make([]*sim.Request, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, sim.NewRequest("r", i))
	}
	return out
}
