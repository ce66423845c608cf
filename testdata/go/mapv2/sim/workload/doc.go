// Package workload generates requests for the simulator.
package workload
