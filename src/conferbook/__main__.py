from conferbook.cli import main

raise SystemExit(main())
