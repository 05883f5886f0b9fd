from event_bridge.cli.app import main

main()
