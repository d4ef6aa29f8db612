"""Lectura y validación de lo que entra: el libro del POA y el archivo de parámetros."""
