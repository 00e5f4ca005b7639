"""Studio scenes. ``SCENE_IDS`` lists them; ``catalog.SCENES`` maps an id to its painter."""
SCENE_IDS = ("studio_sweep", "marble", "wood", "concrete", "linen", "podium", "botanical",
             "water", "kitchen", "bathroom", "festive", "pastel_flatlay")
