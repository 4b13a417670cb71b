from insideweights.cli import main

raise SystemExit(main())
