package broken

// Good is still listed.
func Good() {}

func Bad( {
}
