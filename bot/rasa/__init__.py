"""Running Rasa: its command line with our patches, serving, training, the tracker store,
the NLU components and the generated part of the domain."""
