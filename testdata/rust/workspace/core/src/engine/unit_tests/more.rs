fn test_only_helper() {}
