"""Residents' and staff's input: trygghetsvandringar, reports of unsafe places, the walk protocol."""
