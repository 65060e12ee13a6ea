// decides the visitor is a bot and shows nothing
