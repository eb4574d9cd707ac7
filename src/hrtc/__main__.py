from hrtc.cli import main

main()
