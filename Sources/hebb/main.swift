import HebbCLI

CLI.main()
