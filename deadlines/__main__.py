from deadlines.cli import main

main()
