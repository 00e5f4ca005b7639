"""Administration: who is an admin (``access``) and editing the catalogue (``catalogue``)."""
