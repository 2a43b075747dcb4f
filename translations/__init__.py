"""What carebot says, in each language it speaks: gettext catalogues (`po/<code>.po`) read
with Babel, and the language being spoken to the person a message is for."""
