"""The board app's pages: the goals board, small groups, group conferences, partnerships."""
