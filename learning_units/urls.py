"""Public URLs of the learning_units app (registration, login by citizen ID, area choices)."""

app_name = "learning_units"

urlpatterns = []
