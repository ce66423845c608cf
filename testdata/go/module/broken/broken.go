package broken

func Good() int { return 1 }

func Bad( {
}

type AfterError struct {
	Field int
}
