"""“You said, we did”: the public page of commitments, its feedback buttons, the admin viewset."""
