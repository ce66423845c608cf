// Package cmd is the command line.
package cmd

import (
	"example.com/mapv2/sim"
	"example.com/mapv2/sim/workload"
)

// Command is a minimal command type.
type Command struct {
	Use string
	Run func(args []string)
}

var runCmd = &Command{
	Use: "run",
	Run: func(args []string) {
		q := &sim.Queue{}
		for _, r := range workload.Generate(len(args)) {
			q.Push(r)
		}
		_ = sim.Batch{}
		_ = q
	},
}

// Execute runs the root command.
func Execute() { runCmd.Run(nil) }
